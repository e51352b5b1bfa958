"""Lesson 18's demo in asyncio, with plain streams and no third-party package: two model
services and a front server (SSE from async generators, a gateway with gather and wait_for),
a scripted client, then shutdown. It prints the same lines as demo.cpp."""
import asyncio
import json
import sys
import time
from urllib.parse import parse_qsl, quote, urlsplit


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


def dumps(value):
    # nlohmann::json's dump(): no spaces, keys in order
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def sse_event(name, data):
    return f"event: {name}\ndata: {data}\n\n"


# ---- the server: HTTP/1.1 on asyncio streams ----------------------------------------------------

async def read_request(reader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = lines[0].split(" ")
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    url = urlsplit(target)
    return method, url.path, dict(parse_qsl(url.query)), headers, body


def head_bytes(status, content_type, length=None):
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
    head = f"HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\n"
    head += f"content-length: {length}\r\n" if length is not None else "transfer-encoding: chunked\r\n"
    return (head + "\r\n").encode()


# book:send
async def send(writer, response):
    status, content_type, body = response
    if isinstance(body, str):
        data = body.encode()
        writer.write(head_bytes(status, content_type, len(data)) + data)
    else:  # an async generator: chunked
        writer.write(head_bytes(status, content_type))
        async for piece in body:
            data = piece.encode()
            writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        writer.write(b"0\r\n\r\n")
    await writer.drain()
# end book:send


def http_server(routes):
    async def handle(reader, writer):
        while (request := await read_request(reader)) is not None:
            method, path, query, headers, body = request
            handler = routes.get((method, path))
            response = await handler(query) if handler else (404, "application/json", dumps({"error": "no route"}))
            await send(writer, response)
            if headers.get("connection", "").lower() == "close":
                break
        writer.close()
    return handle


# ---- the models --------------------------------------------------------------------------------

def model_routes(delay, transform):
    async def tokens(prompt):
        for word in prompt.split():
            await asyncio.sleep(delay)
            yield transform(word) + " "

    async def generate(query):
        return 200, "text/plain; charset=utf-8", tokens(query.get("prompt", ""))
    return {("POST", "/generate"): generate}


# ---- the front server --------------------------------------------------------------------------

SHARDS = [
    ["the event loop runs one callback at a time", "a task wraps a coroutine"],
    ["gather runs awaitables concurrently", "the loop waits in epoll for sockets"],
    ["an async generator yields while it awaits", "server sent events stream text to the browser"],
]


async def search_shard(index, query):
    await asyncio.sleep(0.1 * (index + 1))
    return [document for document in SHARDS[index] if query in document]


async def search_events(query, delay):
    yield sse_event("init", dumps({"query": query, "shards": len(SHARDS)}))
    found = await asyncio.gather(*(search_shard(i, query) for i in range(len(SHARDS))))
    context = [document for shard in found for document in shard]
    for document in context:
        yield sse_event("context", document)
    for rank, document in enumerate(context, 1):
        await asyncio.sleep(delay)
        yield sse_event("result", dumps({"rank": rank, "words": len(document.split())}))
    yield sse_event("done", dumps({"matches": len(context)}))


# book:token-events
async def token_events(prompt, delay):
    tokens = prompt.split()
    yield sse_event("init", dumps({"prompt": prompt, "tokens": len(tokens)}))
    for sent, token in enumerate(tokens, 1):
        await asyncio.sleep(delay)
        yield sse_event("data", token)
        yield sse_event("progress", dumps({"done": sent, "total": len(tokens)}))
    yield sse_event("done", dumps({"tokens": len(tokens)}))
# end book:token-events


async def call_model(port, prompt):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST /generate?prompt={quote(prompt)} HTTP/1.1\r\ncontent-length: 0\r\n\r\n".encode())
    await writer.drain()
    status, _ = await read_response_head(reader)
    answer = "".join([piece async for piece in read_chunked(reader)])
    writer.close()
    return answer.rstrip(" ")


def front_routes(upper_port, reverse_port, delay, call_timeout):
    async def stream(query):
        return 200, "text/event-stream", token_events(query.get("prompt", "hello streaming world"), delay)

    async def search(query):
        return 200, "text/event-stream", search_events(query.get("q", ""), delay)

    # book:process
    async def process(query):
        prompt = query.get("prompt", "")
        outcomes = await asyncio.gather(
            asyncio.wait_for(call_model(upper_port, prompt), call_timeout),
            asyncio.wait_for(call_model(reverse_port, prompt), call_timeout),
            return_exceptions=True)
        results = {}
        for name, outcome in zip(["upper", "reverse"], outcomes):
            if isinstance(outcome, BaseException):
                results[name] = {"error": type(outcome).__name__}
            else:
                results[name] = {"text": outcome}
        return 200, "application/json", dumps({"prompt": prompt, "results": results})
    # end book:process

    return {("GET", "/stream"): stream, ("GET", "/search"): search, ("POST", "/process"): process}


# ---- the client --------------------------------------------------------------------------------

async def read_response_head(reader):
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {}
    for line in head[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return int(head[0].split(" ")[1]), headers


async def read_chunked(reader):
    while (size := int((await reader.readline()).split(b";")[0], 16)) != 0:
        data = await reader.readexactly(size + 2)
        yield data[:-2].decode()
    await reader.readline()


async def stream(port, target):
    print(f"GET {target}")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\n\r\n".encode())
    status, headers = await read_response_head(reader)
    print(f"  {now()} {status} {headers['content-type']}")
    buffered = ""
    async for piece in read_chunked(reader):
        buffered += piece
        while (end := buffered.find("\n\n")) != -1:
            record, buffered = buffered[:end], buffered[end + 2:]
            event, _, data = record.partition("\ndata: ")
            print(f"  {now()} {event[7:]} {data}")
    writer.close()


async def process(port, prompt):
    print(f"POST /process?prompt={prompt}")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST /process?prompt={quote(prompt)} HTTP/1.1\r\ncontent-length: 0\r\n\r\n".encode())
    status, headers = await read_response_head(reader)
    body = await reader.readexactly(int(headers["content-length"]))
    print(f"  {now()} {status} {body.decode()}")
    writer.close()


async def main():
    upper = await asyncio.start_server(http_server(model_routes(0.1, str.upper)), "127.0.0.1", 0)
    reverse = await asyncio.start_server(http_server(model_routes(0.15, lambda w: w[::-1])), "127.0.0.1", 0)
    ports = [server.sockets[0].getsockname()[1] for server in (upper, reverse)]
    front = await asyncio.start_server(http_server(front_routes(*ports, 0.1, 0.5)), "127.0.0.1", 0)
    port = front.sockets[0].getsockname()[1]
    print(f"{now()} two models and the front server are listening")
    await stream(port, "/search?q=loop")
    await process(port, "hi there")
    await process(port, "one two three four")
    await stream(port, "/stream?prompt=async+all+the+way")
    for server in (front, upper, reverse):
        server.close()
        await server.wait_closed()
    print(f"{now()} servers closed")


# ---- --serve-bench: the same server for benchmarks/18-streaming-service.cpp ---------------------

async def bench_events(count, batch):
    record = sse_event("tick", "0123456789")
    for i in range(count):
        if i % batch == 0:
            await asyncio.sleep(0)
        yield record


async def serve_bench():
    """Serves /hello and /events?n=&batch= on a free port, prints the port, and when its standard
    input ends prints the CPU seconds it spent serving."""
    async def hello(query):
        return 200, "text/plain; charset=utf-8", "hello"

    async def events(query):
        return 200, "text/event-stream", bench_events(int(query["n"]), int(query["batch"]))

    server = await asyncio.start_server(http_server({("GET", "/hello"): hello, ("GET", "/events"): events}),
                                        "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    began = time.process_time()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    print(f"cpu {time.process_time() - began:.6f}", flush=True)
    server.close()


if len(sys.argv) > 1 and sys.argv[1] == "--serve-bench":
    asyncio.run(serve_bench())
else:
    asyncio.run(main())
