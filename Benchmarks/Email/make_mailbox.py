#!/usr/bin/env python3
"""Writes a deterministic mailbox of real-looking support mail, one RFC 5322 file per message.

usage: make_mailbox.py --out DIR [--count 10000] [--seed 7] [--to support@example.test]

The mix follows what a support inbox receives (the same seed gives the same files, byte for byte):

- about 2,000 customers, some with non-ASCII names, writing from a dozen mail providers;
- new requests (about 55 %) and follow-ups (about 40 %) that answer an earlier mail of the same
  customer: `Re:` subject, In-Reply-To and References, and the earlier text quoted below an
  "On … wrote:" line, as mail clients quote;
- plain text (UTF-8, 8-bit or quoted-printable), text with an HTML alternative, Latin-1 and
  windows-1252 mail with an RFC 2047 subject, and about one mail in ten with an attachment
  (a PDF-like or PNG-like file of 4–40 KB, base64);
- automatic mail (about 5 %): out-of-office replies (`Auto-Submitted: auto-replied`) and bounces
  (`multipart/report` from MAILER-DAEMON);
- signatures (`-- ` and a name), and some mail without a display name.

Only Python's standard library is used.
"""

import argparse
import os
import random
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from datetime import datetime, timedelta, timezone

FIRST = ["Alice", "Bruno", "Chloé", "Dmitri", "Emma", "Farah", "Günter", "Hiroshi", "Inès", "Jamal",
         "Katarzyna", "Liam", "Mei", "Nils", "Olga", "Pablo", "Quentin", "Rosa", "Søren", "Tomás",
         "Uma", "Viktor", "Wanjiru", "Xavier", "Yusuf", "Zoë", "Anna", "Ben", "Clara", "David"]
LAST = ["Martin", "Müller", "García", "Rossi", "Nowak", "Smith", "Dubois", "Jensen", "Tanaka", "Silva",
        "O'Brien", "Kowalski", "Haddad", "Larsen", "Novák", "Petrov", "Ivanova", "Kim", "Nguyen", "Brown"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "post.example", "inbox.example",
           "example.co.uk", "example.de", "example.fr", "example.es", "example.it", "example.jp"]
TOPICS = [
    ("Order {n} has not arrived", "I ordered on {day} and the tracking page has not changed since. "
     "Could you tell me where the parcel is? The order number is {n}."),
    ("Refund for order {n}", "I sent the item back two weeks ago and have not seen the refund yet. "
     "Can you check that the return was received?"),
    ("Cannot log in", "Since this morning the app says my password is wrong, although I reset it "
     "twice. I am using the same address as always."),
    ("Invoice {n} shows the wrong address", "The invoice for my last order has my old address on it. "
     "I need a corrected copy for my accountant, please."),
    ("Question about delivery to Switzerland", "Do you deliver to Switzerland, and if so, are customs "
     "fees included in the price shown at checkout?"),
    ("Damaged item in order {n}", "The box arrived crushed and the lid of the kettle is cracked. "
     "I attached a photo. Can you send a replacement?"),
    ("Change my subscription", "I would like to move from the monthly to the yearly plan. Will the "
     "remaining days of this month be credited?"),
    ("Facture {n}", "Bonjour, je n'ai pas reçu la facture de ma dernière commande. Pourriez-vous me "
     "l'envoyer à nouveau ? Merci d'avance."),
    ("Lieferung {n} unvollständig", "Guten Tag, in meiner Lieferung fehlt ein Artikel. Laut Rechnung "
     "sollten es drei Stück sein, angekommen sind zwei."),
    ("Pedido {n}", "Hola, quisiera cambiar la dirección de entrega de mi pedido. ¿Todavía es posible?"),
]
FOLLOW_UPS = [
    "Thanks for the quick answer. It still has not arrived, though.",
    "I checked again and the tracking number you sent does not work on the carrier's site.",
    "That worked, thank you very much!",
    "Sorry to insist, but I still have no news. Could someone look at it today?",
    "Here is the photo you asked for.",
    "Merci, c'est réglé.",
    "Danke, das Paket ist heute angekommen.",
    "Can you confirm the new date? I will not be at home on Thursday.",
]


def customers(rng, count):
    people = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = "".join(ch for ch in (first[0] + last).lower() if ch.isascii() and ch.isalnum()) + str(i)
        people.append((f"{first} {last}", f"{local}@{rng.choice(DOMAINS)}"))
    return people


def signature(rng, name):
    if rng.random() < 0.3:
        return ""
    extra = rng.choice(["", "\nSent from my phone", "\n+44 20 7946 0{:03d}".format(rng.randrange(1000))])
    return f"\n\n-- \n{name}{extra}\n"


def quoted(previous_text, who, when):
    lines = previous_text.strip().splitlines()
    quoted_lines = "\n".join("> " + line if line else ">" for line in lines)
    return f"\n\nOn {when.strftime('%a, %d %b %Y at %H:%M')}, {who} wrote:\n{quoted_lines}\n"


def fake_file(rng, kind):
    size = rng.randrange(4_000, 40_000)
    body = rng.randbytes(size)
    if kind == "pdf":
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"\n%%EOF\n", "application", "pdf", "invoice.pdf"
    return b"\x89PNG\r\n\x1a\n" + body, "image", "png", "photo.png"


def build(rng, sender, to, subject, text, when, msgid, reply_to_ids, style):
    name, address = sender
    html = "<html><body>" + "".join(
        f"<p>{line}</p>" for line in text.replace("&", "&amp;").replace("<", "&lt;").split("\n\n")) + "</body></html>"
    if style == "latin1":
        message = MIMEText(text, "plain", "iso-8859-1" if rng.random() < 0.5 else "windows-1252")
    elif style == "alternative":
        message = MIMEMultipart("alternative")
        message.attach(MIMEText(text, "plain", "utf-8"))
        message.attach(MIMEText(html, "html", "utf-8"))
    elif style == "attachment":
        message = MIMEMultipart("mixed")
        message.attach(MIMEText(text, "plain", "utf-8"))
        data, main, sub, filename = fake_file(rng, rng.choice(["pdf", "png"]))
        part = EmailMessage()
        part.set_content(data, maintype=main, subtype=sub, filename=filename)
        message.attach(part)
    else:
        message = EmailMessage()
        message.set_content(text, cte="quoted-printable" if rng.random() < 0.4 else "8bit")
    display = name if rng.random() < 0.85 else None
    message["From"] = formataddr((display, address), charset="utf-8") if display else address
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = msgid
    if reply_to_ids:
        message["In-Reply-To"] = reply_to_ids[-1]
        message["References"] = " ".join(reply_to_ids[-8:])
    message["X-Mailer"] = rng.choice(["Thunderbird 115.4", "Apple Mail (2.3731)", "Outlook 16.0", "K-9 Mail 6.7"])
    return message.as_bytes()


def out_of_office(rng, sender, to, when, msgid):
    name, address = sender
    message = EmailMessage()
    message.set_content(f"I am out of the office until {(when + timedelta(days=7)).strftime('%d %B')}.\n"
                        f"I will answer your mail when I am back.\n\n{name}\n")
    message["From"] = address
    message["To"] = to
    message["Subject"] = "Out of Office: " + rng.choice(["your request", "Re: your order", "Holiday"])
    message["Date"] = format_datetime(when)
    message["Message-ID"] = msgid
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"
    return message.as_bytes()


def bounce(rng, to, when, msgid, failed):
    message = MIMEMultipart("report", report_type="delivery-status")
    message.attach(MIMEText(f"This is the mail system at host mx.example.net.\n\nI'm sorry to have to "
                            f"inform you that your message could not be delivered to {failed}.\n", "plain", "utf-8"))
    message.attach(MIMEText(f"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; {failed}\n"
                            "Action: failed\nStatus: 5.1.1\n", "plain", "us-ascii"))
    message["From"] = "MAILER-DAEMON@mx.example.net (Mail Delivery System)"
    message["To"] = to
    message["Subject"] = "Undelivered Mail Returned to Sender"
    message["Date"] = format_datetime(when)
    message["Message-ID"] = msgid
    message["Auto-Submitted"] = "auto-replied"
    return message.as_bytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--to", default="support@example.test")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    people = customers(rng, max(1, args.count // 5))
    threads = {}  # customer index -> (subject, [message ids], last text, last date)
    clock = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
    for n in range(args.count):
        clock += timedelta(seconds=rng.randrange(20, 900))
        msgid = make_msgid(idstring=f"{args.seed}.{n}", domain=rng.choice(DOMAINS))
        who = rng.randrange(len(people))
        roll = rng.random()
        if roll < 0.03:
            raw = out_of_office(rng, people[who], args.to, clock, msgid)
        elif roll < 0.05:
            raw = bounce(rng, args.to, clock, msgid, people[who][1])
        else:
            style = rng.choices(["plain", "alternative", "latin1", "attachment"], weights=[50, 35, 5, 10])[0]
            name = people[who][0]
            if who in threads and rng.random() < 0.7:
                subject, ids, last_text, last_when = threads[who]
                text = rng.choice(FOLLOW_UPS) + signature(rng, name) + quoted(last_text, "Support", last_when)
                reply_subject = subject if subject.startswith("Re: ") else "Re: " + subject
                raw = build(rng, people[who], args.to, reply_subject, text, clock, msgid, ids, style)
                threads[who] = (subject, ids + [msgid], text, clock)
            else:
                title, body = rng.choice(TOPICS)
                number = rng.randrange(100_000, 999_999)
                subject = title.format(n=number)
                text = (rng.choice(["Hello,", "Hi,", "Dear support team,", "Bonjour,", "Hallo,"]) + "\n\n"
                        + body.format(n=number, day=(clock - timedelta(days=rng.randrange(2, 20))).strftime("%d %B"))
                        + signature(rng, name))
                if style == "latin1":
                    text = text.encode("latin-1", "replace").decode("latin-1")
                raw = build(rng, people[who], args.to, subject, text, clock, msgid, [], style)
                threads[who] = (subject, [msgid], text, clock)
        with open(os.path.join(args.out, f"{n:06d}.eml"), "wb") as file:
            file.write(raw)


if __name__ == "__main__":
    main()
