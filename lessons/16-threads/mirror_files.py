"""Lesson 16's third program in asyncio: files through the thread pool, as the package aiofiles
does. Three files written at the same time, read back with gather; then a large file read in
chunks by an async generator. demo_files.cpp prints the same lines (aio::write_file,
aio::read_file and aio::read_chunks)."""
import asyncio
import os
import tempfile


def write_whole(path, data):
    with open(path, "wb") as file:
        file.write(data)


def read_whole(path):
    with open(path, "rb") as file:
        return file.read()


async def write_file(path, data):
    await asyncio.to_thread(write_whole, path, data)


async def read_file(path):
    return await asyncio.to_thread(read_whole, path)


# book:read-chunks
async def read_chunks(path, size):
    file = await asyncio.to_thread(open, path, "rb")
    try:
        while chunk := await asyncio.to_thread(file.read, size):
            yield chunk
    finally:
        file.close()
# end book:read-chunks


# book:files
async def main():
    directory = tempfile.mkdtemp(prefix="aio-l16-")
    names = ["alpha.txt", "beta.txt", "gamma.txt"]
    paths = [os.path.join(directory, name) for name in names]

    print("== three files written at the same time, then read back with gather")
    await asyncio.gather(*(write_file(path, f"{name}: {'x' * (10 * i)}\n".encode())
                           for i, (path, name) in enumerate(zip(paths, names), start=1)))
    texts = await asyncio.gather(*(read_file(path) for path in paths))
    for name, text in zip(names, texts):
        print(f"{name}: {len(text)} bytes, starts with {text[:10].decode()!r}")

    print("== a large file in chunks of 64 KiB, through an async generator")
    big = os.path.join(directory, "big.log")
    lines = b"".join(f"line {n}: status ok\n".encode() for n in range(20_000))
    await write_file(big, lines)
    chunks = total = newlines = 0
    async for chunk in read_chunks(big, 64 * 1024):
        chunks += 1
        total += len(chunk)
        newlines += chunk.count(b"\n")
    print(f"{chunks} chunks, {total} bytes, {newlines} lines")

    for path in paths + [big]:
        os.remove(path)
    os.rmdir(directory)
# end book:files


asyncio.run(main())
