"""A stand-in for registries of other versions and vendors: answers each "METHOD /path" with the next
of its canned responses (the last one repeats). Usage: canned_registry.py RESPONSES_JSON; prints the port.
RESPONSES_JSON: {"GET /subjects": [[503, "..."], [200, "[\"a\"]"]], ...}; "*auth*" (optional) is an
Authorization header value every request must carry, else 401."""
import http.server
import json
import sys

responses = json.load(open(sys.argv[1]))
required_auth = responses.pop("*auth*", None)


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        key = f"{self.command} {self.path.split('?')[0]}"
        if required_auth and self.headers.get("Authorization") != required_auth:
            status, body = 401, '{"error_code":401,"message":"Unauthorized"}'
        elif key in responses:
            queue = responses[key]
            status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        else:
            status, body = 404, '{"error_code":404,"message":"no canned answer for ' + key + '"}'
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
