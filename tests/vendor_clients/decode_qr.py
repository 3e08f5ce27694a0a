"""Reads the barcodes in the PNG images of a delivered email, as a phone's camera
would at The UPS Store counter.

Usage: decode_qr.py MESSAGE.eml   (an RFC 5322 message, e.g. a Maildir file)
       decode_qr.py IMAGE.png

Prints the text of every barcode found, one per line, in the order the images appear
in the message (attachments and inline parts alike). Exits 1 when the input holds no
PNG image, 2 when images were found but no barcode could be read in any of them.
"""

import email
import email.policy
import io
import sys

import zxingcpp
from PIL import Image

# A message with more images than this is not one Tenure sent.
MAX_IMAGES = 20


def png_parts(raw: bytes) -> list[bytes]:
    """The decoded bodies of the image/png parts of `raw`, first to last."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    images = []
    for part in message.walk():
        if part.get_content_type() != "image/png":
            continue
        body = part.get_payload(decode=True)
        if body:
            images.append(body)
        if len(images) >= MAX_IMAGES:
            break
    return images


def texts(png: bytes) -> list[str]:
    """The texts of the barcodes zxing-cpp finds in one PNG image."""
    with Image.open(io.BytesIO(png)) as image:
        return [b.text for b in zxingcpp.read_barcodes(image.convert("L"))]


def main(path: str) -> int:
    with open(path, "rb") as f:
        raw = f.read()
    images = [raw] if raw.startswith(b"\x89PNG\r\n\x1a\n") else png_parts(raw)
    if not images:
        print(f"{path}: no image/png part", file=sys.stderr)
        return 1
    found = [t for png in images for t in texts(png)]
    for t in found:
        print(t)
    if not found:
        print(f"{path}: {len(images)} PNG image(s), no barcode read", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    sys.exit(main(sys.argv[1]))
