"""Generated files stored with their SHA-256 checksum.

:func:`file_store` writes bytes into a model's ``FileField`` and returns the checksum the caller keeps
beside it (``pdf_sha256`` …); :func:`checksum` computes one. A download view sends the checksum as the
``Digest``/``Repr-Digest`` header (``sha-256=…``, RFC 9530) so a reader can verify the file.
"""

from __future__ import annotations

import base64
import hashlib

from django.core.files.base import ContentFile

__all__ = ["checksum", "file_store", "digest_header"]


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_store(instance, field: str, name: str, content: bytes) -> str:
    """Write ``content`` to ``instance.<field>`` (replacing the previous file of this unpublished version)
    and return its SHA-256; the caller saves the instance."""
    file = getattr(instance, field)
    if file:
        file.delete(save=False)
    file.save(name, ContentFile(content), save=False)
    return checksum(content)


def digest_header(sha256_hex: str) -> str:
    return "sha-256=:" + base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii") + ":"
