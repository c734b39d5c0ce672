#!/usr/bin/env python3
"""The floor of a store that makes each file durable on its own, as a content-addressed blob store must (a 2xx
names every file kept): each file of SRC is read and hashed (SHA-256), written to a temporary file, flushed
(fsync), renamed to DEST/ab/cd/<sha256> and its folder flushed; 16 at a time, as the server does.

    durable_copy.py SRC DEST
"""
import hashlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store(src, dest):
    with open(src, "rb") as f:
        data = f.read()
    sha = hashlib.sha256(data).hexdigest()
    folder = os.path.join(dest, sha[:2], sha[2:4])
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(dest, "tmp", sha + ".part")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, os.path.join(folder, sha))
    fsync_dir(folder)


def main():
    src, dest = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(dest, "tmp"), exist_ok=True)
    files = [os.path.join(d, n) for d, _, names in os.walk(src) for n in names]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda p: store(p, dest), files))
    fsync_dir(dest)


if __name__ == "__main__":
    main()
