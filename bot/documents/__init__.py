"""Printable documents: a layout model the flows fill in, a PDF renderer, and the chat file."""
