"""Ways for AI agents to use the pet store: the OpenAPI description and a local MCP server."""
