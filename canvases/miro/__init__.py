"""Canvases on Miro boards, through Miro's REST API v2 with our own small httpx client."""
