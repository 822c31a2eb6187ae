"""The declarative route table and the matcher that picks a route per request."""
