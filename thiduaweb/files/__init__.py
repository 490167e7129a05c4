"""Uploaded files (evidence, dossiers, petitions' attachments), stored in the database."""
