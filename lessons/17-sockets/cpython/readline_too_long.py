# StreamReader.readline on a line longer than the limit: ValueError, and the line is dropped
# (through its newline, if it came), so that the next readline gets the next line.
import asyncio


async def main():
    reader = asyncio.StreamReader(limit=10)
    reader.feed_data(b"0123456789ABCDEF\nnext\n")
    try:
        await reader.readline()
    except ValueError as error:
        print("ValueError:", error)
    print(await reader.readline())

    reader = asyncio.StreamReader(limit=10)
    reader.feed_data(b"0123456789ABCDEF")
    try:
        await reader.readline()
    except ValueError as error:
        print("ValueError:", error, "- buffer now", len(reader._buffer), "bytes")


asyncio.run(main())

# expect 3.11:
# ValueError: Separator is found, but chunk is longer than limit
# b'next\n'
# ValueError: Separator is not found, and chunk exceed the limit - buffer now 0 bytes
