"""Lesson 14, demo 2 in Python: demo_search.cpp mirrors it line for line.

A streaming search: build the context, map over its chunks at once (gather), yield the context
record first, then stream the reduced answers one by one. Each value goes out as one
Server-Sent Event; a comment line (": ...") says when.
"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


def build_context(query):
    return ["intro", "methods", "results"], f"context: 3 chunks for '{query}'"


async def map_chunk(chunk, query):
    """The map phase for one chunk: a model call that takes a second or so."""
    await asyncio.sleep(1.5 if chunk == "methods" else 1)
    return f"{chunk} mentions '{query}'"


async def stream_reduce(partials):
    """The reduce phase, streamed: one answer every half second."""
    for partial in partials:
        await asyncio.sleep(0.5)
        yield f"summary of {partial}"


# book:search
async def stream_search(query):
    chunks, record = build_context(query)
    print(f": {now()} map phase starts over {len(chunks)} chunks")
    partials = await asyncio.gather(*[map_chunk(chunk, query) for chunk in chunks])
    print(f": {now()} map phase done")

    yield record  # the context first, before any answer
    async for answer in stream_reduce(partials):
        yield answer
# end book:search


def sse_event(text):
    """One Server-Sent Event: a `data:` line per line of text, then a blank line."""
    return "".join(f"data: {line}\n" for line in text.split("\n")) + "\n"


async def serve(query):
    async for text in stream_search(query):
        print(f": sent at {now()} s\n{sse_event(text)}", end="")
    print(f": {now()} stream closed")


asyncio.run(serve("async generators"))
