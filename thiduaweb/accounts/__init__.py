"""Users, login, memberships and roles, and the pages to manage them."""
