"""Views, one module per part of the project record."""
