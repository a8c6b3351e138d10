#!/usr/bin/python3
"""Bounded TCP servers and clients for the adversarial lab (stdlib sockets only).

Every blocking call has a timeout and the process is bounded by SIGALRM (--timeout).

Server modes (each accepted connection; --ports can list several listening ports):
  accept-abort   accept(), then at once SO_LINGER {1,0} close: RST, no data
  pipelined      read exactly one request (MSG_PEEK up to the blank line), answer it,
                 close() with the second pipelined request unread in the receive buffer
  ack-abort      read the request (the kernel ACKs it), answer nothing, after --wait s
                 SO_LINGER {1,0} close
  respond-abort  read the request, answer, after --wait s SO_LINGER {1,0} close
  respond-later  read the request, answer after --delay s, wait for the peer's end, close
  idle-abort     read the request, answer, wait --idle s of silence, SO_LINGER {1,0} close
  idle           read the request, answer, wait until the peer ends or --timeout, close
  hold           accept and read until EOF/RST or --timeout, close
  stream-slow    read the request, write --bytes in 1000-byte writes every --pace s, close
  ssh            SSH-like: banner, read the client's banner, echo every chunk back until
                 EOF/RST; with --wait > 0 abort (SO_LINGER 0) --wait s after the first chunk
Client modes:
  sleep-send     request, read the answer, sleep --idle, send more, wait for the end
  idle-abort     request, read the answer, sleep --idle, SO_LINGER {1,0} close
  connscan       for each of --ports: connect(), SO_LINGER {1,0} close at once (--gap s apart)
  monitor        --rounds rounds, --interval s apart: connect() to each of --ports, close with RST
  web            connect() to --ports[1] and reset it at once (no data), then a request on
                 --ports[0] answered and closed with FIN
  pipelined      two requests in one write, read the answer, wait for the end
  ssh            banner exchange, --chunks chunks of 1400 bytes echoed, then SO_LINGER 0
                 close (or, with --wait-end, wait for the server's end)
  request        connect, wait --delay, send a request, read until the end, close
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
REQ = b"GET / HTTP/1.1\r\nHost: lab2.example\r\n\r\n"
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n"


def log(**kw):
    kw["t"] = round(time.time() - T0, 4)
    print(json.dumps(kw), flush=True)


def ename(e):
    return errno.errorcode.get(e.errno, str(e))


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def wait_end(s, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        s.settimeout(max(0.05, deadline - time.time()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            return "timeout"
        except OSError as e:
            return ename(e)
        if not d:
            return "eof"
    return "timeout"


def read_request(c):
    """Read exactly one request (up to and including the blank line), leave the rest queued."""
    buf = b""
    for _ in range(50):
        peek = c.recv(65536, socket.MSG_PEEK)
        if not peek:
            return b""
        i = peek.find(b"\r\n\r\n")
        if i >= 0:
            return c.recv(i + 4)
        time.sleep(0.02)
    return c.recv(65536)


def serve(c, peer, port, a):
    c.settimeout(a.io_timeout)
    m = a.mode
    try:
        if m == "accept-abort":
            linger0(c)
            c.close()
            log(ev="accept-abort", peer=str(peer))
            return
        if m == "hold":
            log(ev="end", port=port, how=wait_end(c, a.timeout))
            c.close()
            return
        if m == "ssh":
            c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
            first = None
            total = 0
            while True:
                if a.wait and first and time.time() - first >= a.wait:
                    linger0(c)
                    c.close()
                    log(ev="ssh-server-abort", echoed=total)
                    return
                c.settimeout(0.05 if a.wait and first else a.io_timeout)
                try:
                    d = c.recv(65536)
                except socket.timeout:
                    continue
                if not d:
                    break
                first = first or time.time()
                c.sendall(d)
                total += len(d)
            log(ev="ssh-end", echoed=total)
            c.close()
            return
        req = read_request(c)
        log(ev="request", peer=str(peer), n=len(req))
        if m == "pipelined":
            c.sendall(RESP)
            time.sleep(0.3)
            c.close()
            log(ev="closed-with-pipelined-request-unread")
        elif m == "ack-abort":
            time.sleep(a.wait)
            linger0(c)
            c.close()
            log(ev="aborted-silently")
        elif m == "respond-abort":
            c.sendall(RESP)
            time.sleep(a.wait)
            linger0(c)
            c.close()
            log(ev="aborted")
        elif m == "respond-later":
            time.sleep(a.delay)
            try:
                c.sendall(RESP)
            except OSError as e:
                log(ev="send-error", err=ename(e))
            log(ev="peer-end", how=wait_end(c, a.io_timeout))
            c.close()
        elif m == "idle-abort":
            c.sendall(RESP)
            log(ev="idle-over", how=wait_end(c, a.idle))
            linger0(c)
            c.close()
            log(ev="aborted-after-idle")
        elif m == "idle":
            c.sendall(RESP)
            log(ev="peer-end", how=wait_end(c, a.timeout))
            c.close()
        elif m == "stream-slow":
            sent = 0
            while sent < a.bytes:
                c.sendall(b"y" * 999 + b"\n")
                sent += 1000
                time.sleep(a.pace)
            log(ev="stream-done", sent=sent)
            c.close()
        else:
            raise SystemExit("unknown server mode " + m)
    except OSError as e:
        log(ev="conn-error", err=ename(e))
        try:
            c.close()
        except OSError:
            pass


def server(a):
    ports = [int(p) for p in (a.ports or str(a.port)).split(",")]
    socks = []
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.addr, port))
        s.listen(a.backlog)
        s.settimeout(a.timeout)
        socks.append((s, port))
    log(ev="listening", ports=ports, mode=a.mode)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("ready\n")
    threads = []

    def acceptor(s, port):
        for _ in range(a.conns):
            try:
                c, peer = s.accept()
            except (socket.timeout, OSError):
                return
            log(ev="accepted", port=port, peer=str(peer))
            t = threading.Thread(target=serve, args=(c, peer, port, a), daemon=True)
            t.start()
            threads.append(t)

    ats = [threading.Thread(target=acceptor, args=sp, daemon=True) for sp in socks]
    for t in ats:
        t.start()
    for t in ats:
        t.join(a.timeout)
    for t in list(threads):
        t.join(a.timeout)


def connect(a, port, bind_port=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if bind_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", bind_port))
    s.settimeout(a.io_timeout)
    s.connect((a.addr, port))
    log(ev="connected", port=port, local=str(s.getsockname()))
    return s


def client(a):
    m = a.mode
    ports = [int(p) for p in (a.ports or str(a.port)).split(",")]
    try:
        if m in ("connscan", "monitor"):
            rounds = a.rounds if m == "monitor" else 1
            for r in range(rounds):
                for i, port in enumerate(ports):
                    try:
                        s = connect(a, port)
                        linger0(s)
                        s.close()
                        log(ev="reset", port=port, round=r)
                    except OSError as e:
                        log(ev="connect-error", port=port, err=ename(e))
                    if i < len(ports) - 1:
                        time.sleep(a.gap)
                if r < rounds - 1:
                    time.sleep(a.interval)
            return 0
        if m == "web":
            s = connect(a, ports[1])
            linger0(s)
            s.close()
            log(ev="reset-unused", port=ports[1])
            time.sleep(a.gap)
            s = connect(a, ports[0])
            s.sendall(REQ)
            log(ev="response", n=len(s.recv(4096)))
            time.sleep(0.05)
            s.close()
            return 0
        s = connect(a, ports[0], a.bind_port)
        if m == "ssh":
            banner = s.recv(256)
            log(ev="banner", b=banner.decode(errors="replace").strip())
            s.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
            got = 0
            for i in range(a.chunks):
                s.sendall(bytes([65 + i % 26]) * 1400)
                need = 1400
                while need > 0:
                    d = s.recv(need)
                    if not d:
                        raise OSError(errno.ECONNRESET, "eof")
                    need -= len(d)
                    got += len(d)
                time.sleep(a.pace)
            log(ev="ssh-echoed", n=got)
            if a.wait_end:
                log(ev="end", how=wait_end(s, a.io_timeout))
                s.close()
            else:
                linger0(s)
                s.close()
                log(ev="ssh-client-abort")
            return 0
        if a.delay:
            time.sleep(a.delay)
        if m == "pipelined":
            s.sendall(REQ + REQ.replace(b"/ ", b"/second "))
        else:
            s.sendall(REQ)
        if m == "request":
            log(ev="end", how=wait_end(s, a.io_timeout))
            s.close()
            return 0
        log(ev="response", n=len(s.recv(4096)))
        if m == "pipelined":
            log(ev="end", how=wait_end(s, a.io_timeout))
            s.close()
        elif m == "sleep-send":
            time.sleep(a.idle)
            try:
                s.sendall(b"PING after idle\r\n")
                log(ev="sent-after-idle")
            except OSError as e:
                log(ev="send-error", err=ename(e))
            log(ev="end", how=wait_end(s, a.io_timeout))
            s.close()
        elif m == "idle-abort":
            log(ev="idle-over", how=wait_end(s, a.idle))
            linger0(s)
            s.close()
            log(ev="aborted-after-idle")
        else:
            raise SystemExit("unknown client mode " + m)
    except OSError as e:
        log(ev="error", err=ename(e))
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--ports", default="")
    p.add_argument("--mode", required=True)
    p.add_argument("--backlog", type=int, default=16)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--ready", default="")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--io-timeout", type=float, default=5.0)
    p.add_argument("--idle", type=float, default=6.0)
    p.add_argument("--wait", type=float, default=0.0)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--bytes", type=int, default=20000)
    p.add_argument("--pace", type=float, default=0.0)
    p.add_argument("--gap", type=float, default=0.2)
    p.add_argument("--interval", type=float, default=3.0)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--chunks", type=int, default=4)
    p.add_argument("--wait-end", action="store_true")
    p.add_argument("--bind-port", type=int, default=0)
    a = p.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(int(a.timeout) + 5)
    if a.role == "server":
        server(a)
        return 0
    return client(a)


if __name__ == "__main__":
    sys.exit(main())
