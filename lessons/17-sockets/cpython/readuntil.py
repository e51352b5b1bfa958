# StreamReader.readuntil: through the separator; IncompleteReadError at the end of the stream;
# LimitOverrunError past the limit, with the bytes left in the buffer. The reader is fed by hand
# (feed_data, feed_eof), as a transport would feed it.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    loop.call_later(1, reader.feed_data, b"one\r")
    loop.call_later(2, reader.feed_data, b"\ntwo\r\nthr")
    first = await reader.readuntil(b"\r\n")
    print(loop.time(), first)
    second = await reader.readuntil(b"\r\n")
    print(loop.time(), second, len(reader._buffer), "bytes left")

    reader = asyncio.StreamReader()
    reader.feed_data(b"no separator here")
    reader.feed_eof()
    try:
        await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as error:
        print("IncompleteReadError:", error.partial, error.expected, reader.at_eof())

    reader = asyncio.StreamReader(limit=10)
    reader.feed_data(b"0123456789ABCDEF")
    try:
        await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as error:
        print("LimitOverrunError:", error, error.consumed, len(reader._buffer), "bytes kept")

    reader = asyncio.StreamReader(limit=10)
    reader.feed_data(b"0123456789AB\nshort\n")
    try:
        await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as error:
        print("LimitOverrunError:", error, error.consumed, len(reader._buffer), "bytes kept")

    reader = asyncio.StreamReader(limit=10)
    reader.feed_data(b"0123456789\n")
    print("exactly the limit before the separator:", await reader.readuntil(b"\n"))

    reader = asyncio.StreamReader()
    loop.call_later(1, reader.feed_data, b"ND-tail")
    reader.feed_data(b"body--E")
    chunk = await reader.readuntil(b"--END-")
    print(loop.time(), "split separator:", chunk)


asyncio.run(main())

# expect 3.11:
# 2.0 b'one\r\n'
# 2.0 b'two\r\n' 3 bytes left
# IncompleteReadError: b'no separator here' None True
# LimitOverrunError: Separator is not found, and chunk exceed the limit 16 16 bytes kept
# LimitOverrunError: Separator is found, but chunk is longer than limit 12 19 bytes kept
# exactly the limit before the separator: b'0123456789\n'
# 3.0 split separator: b'body--END-'
