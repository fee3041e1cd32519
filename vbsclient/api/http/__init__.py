"""Talking to the endpoint: finding it, sending requests with retries and
re-authentication, and turning failures into library errors."""
