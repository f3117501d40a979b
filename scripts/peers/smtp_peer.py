# Copied unchanged from the verified recipe in shared/peers/smtp_peer.py (shared/peers.md §2, Email);
# started by scripts/peers/mail.sh. Runs in the venv that mail.sh builds (PyPI aiosmtpd).
"""Loopback SMTP peer for tests (aiosmtpd).
Every accepted message is written to SPOOL/<n>.eml (with X-Test-Mail-From / X-Test-Rcpt-To headers),
and, if --lmtp HOST:PORT is given, also delivered to that LMTP server (e.g. Dovecot) so that
an SMTP send can be read back over IMAP.
usage: python smtp_peer.py --listen 127.0.0.1:23125 --spool DIR [--lmtp 127.0.0.1:23124] [--auth user:pass]
       [--tls-cert cert.pem --tls-key key.pem]   (STARTTLS)
"""
import argparse, asyncio, itertools, os, signal, smtplib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

class Handler:
    def __init__(self, spool, lmtp):
        os.makedirs(spool, exist_ok=True)
        done = [int(f[:-4]) for f in os.listdir(spool) if f.endswith(".eml") and f[:-4].isdigit()]
        self.spool, self.lmtp, self.n = spool, lmtp, itertools.count(max(done, default=0) + 1)
    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content  # raw bytes, CRLF, as sent (dot-unstuffed)
        n = next(self.n)
        head = (f"X-Test-Mail-From: {envelope.mail_from}\r\n"
                f"X-Test-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        tmp = os.path.join(self.spool, f".{n}.tmp")
        with open(tmp, "wb") as f:
            f.write(head + data)
        os.rename(tmp, os.path.join(self.spool, f"{n}.eml"))
        if self.lmtp:
            host, port = self.lmtp.rsplit(":", 1)
            def relay():
                with smtplib.LMTP(host, int(port)) as l:
                    return l.sendmail(envelope.mail_from, envelope.rcpt_tos, data)
            try:
                refused = await asyncio.get_running_loop().run_in_executor(None, relay)
            except smtplib.SMTPRecipientsRefused as e:
                return f"550 LMTP refused all recipients: {e.recipients}"
            except (OSError, smtplib.SMTPException) as e:
                return f"451 LMTP relay failed: {e}"
            if refused:
                return f"550 LMTP refused {sorted(refused)}"
        return "250 OK queued as %d" % n

def make_auth(userpass):
    user, pw = userpass.split(":", 1)
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == pw
        return AuthResult(success=ok, handled=False)  # handled=False: else a failed AUTH gets NO reply (client hangs)
    return authenticator

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", default="127.0.0.1:23125")
    ap.add_argument("--spool", required=True)
    ap.add_argument("--lmtp")
    ap.add_argument("--auth", help="user:pass; enables AUTH PLAIN/LOGIN over plain TCP (tests only)")
    ap.add_argument("--tls-cert"); ap.add_argument("--tls-key")
    a = ap.parse_args()
    host, port = a.listen.rsplit(":", 1)
    kw = {}
    if a.auth:
        kw = dict(authenticator=make_auth(a.auth), auth_require_tls=False, auth_required=True)
    if a.tls_cert:  # offer STARTTLS (and, if --auth, only allow AUTH after it)
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        kw.update(tls_context=ctx, auth_require_tls=True)
    c = Controller(Handler(a.spool, a.lmtp), hostname=host, port=int(port), **kw)
    c.start()
    print(f"smtp_peer listening on {host}:{port}", flush=True)
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        c.stop()

if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    main()
