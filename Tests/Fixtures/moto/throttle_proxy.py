#!/usr/bin/env python3
"""A loopback proxy in front of moto that answers the first N requests with AWS throttling.

    throttle_proxy.py UPSTREAM_PORT N [PENDING]   # prints its own port on the first line of stdout

Afterwards requests are forwarded unchanged. With PENDING, the first PENDING
GenerateCredentialReport calls answer State INPROGRESS, as AWS does while it builds the report.
GET /_count returns how many were throttled, GET /_pending how many INPROGRESS answers were given.
Binds only to 127.0.0.1 and exits when its stdin closes.
"""
import http.client
import http.server
import sys
import threading

upstream_port = int(sys.argv[1])
remaining = [int(sys.argv[2])]
pending = [int(sys.argv[3]) if len(sys.argv) > 3 else 0]
pending_given = [0]
throttled = [0]
lock = threading.Lock()

THROTTLE = (b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
            b'<Code>Throttling</Code><Message>Rate exceeded</Message></Error>'
            b'<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = str(pending_given[0] if self.path == "/_pending" else throttled[0]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            throttle = remaining[0] > 0
            if throttle:
                remaining[0] -= 1
                throttled[0] += 1
        if not throttle and b"Action=GenerateCredentialReport" in body:
            with lock:
                report_pending = pending[0] > 0
                if report_pending:
                    pending[0] -= 1
                    pending_given[0] += 1
            if report_pending:
                answer = (b'<GenerateCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
                          b'<GenerateCredentialReportResult><State>INPROGRESS</State></GenerateCredentialReportResult>'
                          b'<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GenerateCredentialReportResponse>')
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                return
        if throttle:
            self.send_response(400)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(THROTTLE)))
            self.end_headers()
            self.wfile.write(THROTTLE)
            return
        conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("content-length", "connection")}
        conn.request("POST", self.path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
