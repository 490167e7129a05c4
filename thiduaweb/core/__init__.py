"""Core helpers shared across the application."""
