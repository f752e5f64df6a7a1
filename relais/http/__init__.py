"""The HTTP edge shared by every face (web pages, the API): what happens to a request
before a view runs and after it answers.

- ``context``: the request id and the client address, bound for services and the audit log.
- ``access``: the route table enforced on every request (deny by default).
- ``api_gate``: an API path's key, rate limit and scope, checked in that one place.
- ``problems``: RFC 9457 problem details, the API's (and the edge's) error answers.
"""
