"""The edge of the API: request bodies and parameters, and the signed tokens that page through answers."""
