"""Command line, start-up and clean shutdown."""

import argparse
import os
import signal
import sys
import tempfile
import threading

from . import VERSION
from .auth import load_keys, parse_rate
from .faults import Fault, FaultError

USAGE_EPILOG = """\
Both services are served on one port: AiAssist under /v1/ and /api/, AI Gate at
/session, /turn-credentials, /health and /metrics, the simulator's own admin
calls under /_sim/.  Default keys: aai_demo_user (user), aai_demo_agent (agent);
projects: proj_demo, proj_starter, proj_growth, proj_exhausted.
See docs/protocol.md."""


def _positive_float(s):
    v = float(s)
    if v < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return v


def _rate(s):
    try:
        return parse_rate(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e))


def _fault(s):
    try:
        Fault(s)
    except FaultError as e:
        raise argparse.ArgumentTypeError(str(e))
    return s


def _count(s):
    v = int(s)
    if v < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return v


def _tokens(s):
    v = int(s)
    if not 0 < v <= 10000000:
        raise argparse.ArgumentTypeError("must be between 1 and 10000000")
    return v


def parse_args(argv):
    p = argparse.ArgumentParser(prog="aidesk-sim", epilog=USAGE_EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                description="Local simulator of the AiAssist and AI Gate services.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    p.add_argument("--port-file", metavar="FILE", help="write the port number here (atomically)")
    p.add_argument("--seed", type=int, default=1, help="seed for everything random (default 1)")
    p.add_argument("--speed", type=_positive_float, default=1.0,
                   help="time multiplier; simulated delays are divided by it; 0 = no delays")
    p.add_argument("--state", metavar="FILE", help="load and save state in this JSON file")
    p.add_argument("--sync-state", action="store_true",
                   help="with --state: save every change before answering or publishing it")
    p.add_argument("--keys", metavar="FILE", help="JSON file with user_keys, agent_keys, projects")
    p.add_argument("--customers", type=_count, default=0, help="simulated customers (default 0)")
    p.add_argument("--fault", type=_fault, action="append", metavar="SPEC",
                   help="global fault, e.g. 'status=503;times=2;path=/v1/' (repeatable)")
    p.add_argument("--rate-limit", type=_rate, default=(600, 60.0), metavar="N/SECONDS",
                   help="AiAssist per-key limit (default 600/60)")
    p.add_argument("--reply-tokens", type=_tokens, metavar="N",
                   help="every chat completion reply is exactly N tokens")
    p.add_argument("--heartbeat", type=float, default=15.0, metavar="SECONDS",
                   help="keepalive comment interval on event streams (default 15, real time)")
    p.add_argument("--no-manager", action="store_true", help="manager endpoints answer 404")
    p.add_argument("--role-assistant", action="store_true", help="AI messages use role 'assistant'")
    p.add_argument("--flat-workspace", action="store_true", help="workspace fields at top level")
    p.add_argument("--bare-lists", action="store_true", help="history answers a bare JSON list")
    p.add_argument("--no-client-secret", action="store_true",
                   help="AI Gate session answers without client_secret (optional in the SDKs)")
    p.add_argument("--refuse-field", action="append", metavar="FIELD",
                   help="chat completions refuse a request with this top-level field (400 "
                        "naming it), as a strict provider does; repeatable")
    p.add_argument("--default-mode", choices=("ai", "shadow", "takeover"), default="ai")
    p.add_argument("--quiet", action="store_true", help="no request log on stderr")
    p.add_argument("--tls-cert", metavar="FILE",
                   help="serve HTTPS and wss:// with this PEM certificate (chain); needs --tls-key")
    p.add_argument("--tls-key", metavar="FILE", help="the PEM private key of --tls-cert")
    p.add_argument("--version", action="version", version="aidesk-sim " + VERSION)
    opts = p.parse_args(argv)
    if opts.heartbeat <= 0:
        p.error("--heartbeat must be positive")
    if not 0 <= opts.port <= 65535:
        p.error("--port must be between 0 and 65535")
    if opts.sync_state and not opts.state:
        p.error("--sync-state needs --state FILE")
    if bool(opts.tls_cert) != bool(opts.tls_key):
        p.error("--tls-cert and --tls-key go together")
    return opts


def tls_context(cert, key):
    """The server's TLS context, or raises OSError / ssl.SSLError with a
    reason (a missing file, a key that does not match the certificate)."""
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    return ctx


def write_port_file(path, port):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".aidesk-sim-port.", dir=d)
    with os.fdopen(fd, "w") as f:
        f.write("%d\n" % port)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    # Hand the interpreter between threads every 50 us, not every 5 ms: a
    # thread busy with one request must not hold back noting the arrival of
    # the next ones or writing their first tokens, or a burst of clients
    # (twelve streams compared at once) would see that wait as model
    # latency: 0.5 ms left a 6 - 7 ms spread over twelve, 50 us about 4.
    sys.setswitchinterval(0.00005)
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        user, agent, projects = load_keys(opts.keys)
    except (OSError, ValueError) as e:
        sys.stderr.write("aidesk-sim: --keys %s: %s\n" % (opts.keys, e))
        return 2

    tls = None
    if opts.tls_cert:
        import ssl
        try:
            tls = tls_context(opts.tls_cert, opts.tls_key)
        except (OSError, ssl.SSLError) as e:
            sys.stderr.write("aidesk-sim: --tls-cert %s / --tls-key %s: %s\n"
                             % (opts.tls_cert, opts.tls_key, e))
            return 2

    from .app import App
    from .httpd import Server

    app = App(opts, user, agent, projects)
    app.persist.load()
    ipv6 = ":" in opts.host
    try:
        server = Server((opts.host, opts.port), app, ipv6=ipv6, tls=tls)
    except OSError as e:
        sys.stderr.write("aidesk-sim: cannot listen on %s:%d: %s\n" % (opts.host, opts.port, e))
        return 1
    app.server = server
    port = server.server_address[1]
    host = "[%s]" % opts.host if ipv6 else opts.host
    if opts.port_file:
        write_port_file(opts.port_file, port)
    sys.stdout.write("aidesk-sim listening on %s://%s:%d\n"
                     % ("https" if tls else "http", host, port))
    sys.stdout.flush()

    def on_signal(signum, frame):
        app.stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    except (AttributeError, ValueError):
        pass
    app.persist.start()
    app.customers.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        app.stopping.set()
        app.bus.stop()
        with app.store.lock:
            app.store.changed.notify_all()
        app.customers.join(0.5)
        app.persist.close()
        server.server_close()
    return 0
