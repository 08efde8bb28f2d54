"""dtbd over HTTP: server-rendered pages and the `/api/v1` JSON API, an interface beside `cli/`.

It parses requests and renders; it reaches the engine only through the facade `engine.workspace`.
"""
