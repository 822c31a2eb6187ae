"""Protecting the platform from slow or dead upstreams: breakers, in-flight bounds, retries."""
