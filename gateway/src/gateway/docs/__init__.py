"""The merged OpenAPI document and the docs page, built from the upstreams' own documents."""
