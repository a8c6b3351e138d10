#!/usr/bin/python3
"""Tiny, bounded TCP server/client toolkit for the rstscope lab.

Standard library only. Run inside a namespace, e.g.
    ip netns exec rl-server /usr/bin/python3 lab/tk.py server --addr 10.99.2.2 --port 8080 --mode echo
    ip netns exec rl-client /usr/bin/python3 lab/tk.py client --addr 10.99.2.2 --port 8080 --mode echo

Every blocking call has a timeout and the whole process is bounded by
SIGALRM (--timeout), so nothing here can hang the lab.

Server modes (applied to each accepted connection, --conns connections):
  echo            read a request line, answer it, wait for the client's FIN, close (FIN)
  close-first     read a request line, answer it, close at once (the server closes first)
  linger0         read a request line, answer it, close with SO_LINGER {1,0} (abortive RST)
  close-unread    read only 4 bytes of what the client sent, close (Linux sends RST, not FIN)
  fin-rst         answer, shutdown(SHUT_WR) (FIN), then SO_LINGER 0 close (RST)
  idle-abort      answer, then wait --idle seconds with no traffic, SO_LINGER 0 close
  idle            answer, then keep the connection open until the peer ends it or --timeout
  stream          read a request line, then write --bytes bytes in 1 KiB writes, then close
  read-noreply    read whatever comes, never answer, until the peer goes or --timeout
  never-accept    listen (with --backlog) and never accept, for --timeout seconds
Client modes:
  echo            connect, send a request line, read the answer, close (FIN)
  refused         connect, expect ECONNREFUSED
  linger0         connect, send a request, read the answer, close with SO_LINGER {1,0}
  send-unread     connect, send a request plus extra bytes, wait for the server's close
  write-after-fin connect, send a request, read answer and the server's FIN, write again
  retrans         connect, send data, wait for the kernel to give up (ETIMEDOUT)
  retrans-abort   connect, send data, wait --wait seconds (retransmissions), SO_LINGER 0 close
  abort-inflight  send a request, wait --wait s without reading the answer, SO_LINGER 0 close
  idle            send a request, read the answer, then wait until the connection ends or --timeout
                  (after the server's FIN it waits --wait s more before it closes)
  hold            connect, send nothing, wait until the connection ends or --timeout
"""
import argparse
import errno
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

T0 = time.time()


def log(**kw):
    kw["t"] = round(time.time() - T0, 4)
    print(json.dumps(kw), flush=True)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def recv_line(s, limit=4096):
    buf = b""
    while b"\n" not in buf and len(buf) < limit:
        chunk = s.recv(limit)
        if not chunk:
            break
        buf += chunk
    return buf


def wait_end(s, seconds):
    """Read until EOF/RST or the deadline; returns 'eof', 'reset', 'timeout' or an errno name."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        s.settimeout(max(0.05, deadline - time.time()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            return "timeout"
        except OSError as e:
            return errno.errorcode.get(e.errno, str(e))
        if not d:
            return "eof"
    return "timeout"


def serve_conn(c, peer, a):
    c.settimeout(a.io_timeout)
    m = a.mode
    try:
        if m == "close-unread":
            time.sleep(0.3)  # let the whole request arrive in the receive buffer
            d = c.recv(4)
            log(ev="read-partial", peer=str(peer), n=len(d))
            c.close()
            log(ev="closed-with-unread")
            return
        if m == "read-noreply":
            r = wait_end(c, a.timeout)
            log(ev="end", how=r)
            c.close()
            return
        req = recv_line(c)
        log(ev="request", peer=str(peer), n=len(req))
        if m == "stream":
            chunk = b"x" * 1023 + b"\n"
            sent = 0
            try:
                while sent < a.bytes:
                    c.sendall(chunk)
                    sent += len(chunk)
                    if a.pace:
                        time.sleep(a.pace)
            except OSError as e:
                log(ev="stream-error", sent=sent, err=errno.errorcode.get(e.errno, str(e)))
                c.close()
                return
            log(ev="stream-done", sent=sent)
            c.close()
            return
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n")
        if m == "echo":
            r = wait_end(c, a.io_timeout)
            log(ev="peer-end", how=r)
            c.close()
        elif m == "close-first":
            c.close()
            log(ev="closed-first")
        elif m == "linger0":
            time.sleep(0.1)
            linger0(c)
            c.close()
            log(ev="aborted")
        elif m == "fin-rst":
            time.sleep(0.1)
            c.shutdown(socket.SHUT_WR)
            time.sleep(0.02)
            linger0(c)
            c.close()
            log(ev="fin-then-rst")
        elif m == "idle-abort":
            r = wait_end(c, a.idle)
            log(ev="idle-over", how=r)
            linger0(c)
            c.close()
            log(ev="aborted-after-idle")
        elif m == "idle":
            r = wait_end(c, a.timeout)
            log(ev="peer-end", how=r)
            c.close()
        else:
            raise SystemExit("unknown server mode " + m)
    except OSError as e:
        log(ev="conn-error", err=errno.errorcode.get(e.errno, str(e)))
        try:
            c.close()
        except OSError:
            pass


def server(a):
    fam = family_of(a.addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.listen(a.backlog)
    log(ev="listening", addr=a.addr, port=a.port, backlog=a.backlog, mode=a.mode)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("ready\n")
    if a.mode == "never-accept":
        time.sleep(a.timeout)
        return
    threads = []
    s.settimeout(a.timeout)
    for _ in range(a.conns):
        try:
            c, peer = s.accept()
        except socket.timeout:
            log(ev="accept-timeout")
            break
        log(ev="accepted", peer=str(peer))
        t = threading.Thread(target=serve_conn, args=(c, peer, a), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(a.timeout)
    s.close()


def client(a):
    fam = family_of(a.addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    if a.bind_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.src or ("::" if fam == socket.AF_INET6 else "0.0.0.0"), a.bind_port))
    s.settimeout(a.io_timeout)
    m = a.mode
    try:
        s.connect((a.addr, a.port))
    except OSError as e:
        log(ev="connect-error", err=errno.errorcode.get(e.errno, str(e)))
        if m == "refused" and e.errno == errno.ECONNREFUSED:
            return 0
        return 1
    log(ev="connected", local=str(s.getsockname()))
    if m == "refused":
        log(ev="unexpected-connect")
        s.close()
        return 1
    if a.delay:
        time.sleep(a.delay)  # a slow client: nothing sent for a while after the handshake
    req = a.request.encode() + b"\n"
    try:
        if m == "hold":
            log(ev="end", how=wait_end(s, a.timeout))
            s.close()
            return 0
        if m == "send-unread":
            s.sendall(req + b"extra-bytes-the-server-never-reads\n")
            log(ev="end", how=wait_end(s, a.io_timeout))
            s.close()
            return 0
        if m in ("retrans", "retrans-abort"):
            s.sendall(req)
            if m == "retrans":
                log(ev="end", how=wait_end(s, a.timeout))
                s.close()
            else:
                time.sleep(a.wait)
                linger0(s)
                s.close()
                log(ev="aborted")
            return 0
        s.sendall(req)
        if m == "abort-inflight":
            time.sleep(a.wait)
            linger0(s)
            s.close()
            log(ev="aborted-with-unread")
            return 0
        resp = s.recv(4096)
        log(ev="response", n=len(resp))
        if m == "echo":
            time.sleep(0.05)
            s.close()
        elif m == "linger0":
            time.sleep(0.05)
            linger0(s)
            s.close()
            log(ev="aborted")
        elif m == "write-after-fin":
            r = wait_end(s, a.io_timeout)
            log(ev="server-end", how=r)
            time.sleep(0.1)
            for i in range(3):
                try:
                    s.send(b"late data %d\n" % i)
                    log(ev="late-write-ok", i=i)
                except OSError as e:
                    log(ev="late-write-error", i=i, err=errno.errorcode.get(e.errno, str(e)))
                    break
                time.sleep(0.1)
            s.close()
        elif m == "idle":
            r = wait_end(s, a.timeout)
            log(ev="end", how=r)
            if r == "eof":
                time.sleep(a.wait)  # do not answer the server's FIN at once
            s.close()
        else:
            raise SystemExit("unknown client mode " + m)
    except OSError as e:
        log(ev="error", err=errno.errorcode.get(e.errno, str(e)))
        s.close()
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--mode", default="echo")
    p.add_argument("--backlog", type=int, default=16)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--ready", default="")
    p.add_argument("--timeout", type=float, default=20.0, help="hard bound for the process")
    p.add_argument("--io-timeout", type=float, default=5.0)
    p.add_argument("--idle", type=float, default=6.0)
    p.add_argument("--wait", type=float, default=0.5)
    p.add_argument("--bytes", type=int, default=65536)
    p.add_argument("--pace", type=float, default=0.0)
    p.add_argument("--delay", type=float, default=0.0, help="client: wait after connect()")
    p.add_argument("--bind-port", type=int, default=0)
    p.add_argument("--src", default="")
    p.add_argument("--request", default="GET /hello HTTP/1.0")
    a = p.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(int(a.timeout) + 5)
    if a.role == "server":
        server(a)
        return 0
    return client(a)


if __name__ == "__main__":
    sys.exit(main())
