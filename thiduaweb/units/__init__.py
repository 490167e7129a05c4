"""Administrative units (tree, validity, successors, official import) and the bodies a commune owns."""
