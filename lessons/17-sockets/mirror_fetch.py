# Lesson 17, demo 2 in asyncio: a fetcher, one request after another, then all at once under a
# Semaphore(3), each request within 1.0 s (demo_fetch.cpp).
import asyncio
import functools


def delay_of(page, server_delay):
    return 5.0 if page == "stuck" else server_delay


async def serve_pages(reader, writer, delay):
    request = (await reader.readline()).decode()
    page = request[4:-1]
    await asyncio.sleep(delay_of(page, delay))
    writer.write(f"contents of {page}\n".encode())
    writer.close()


# book:fetch
async def fetch(url):
    server, port, page = url
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {page}\n".encode())
    await writer.drain()
    body = await reader.readline()
    writer.close()
    return body.decode()[:-1]


async def fetch_one(url, limit):
    loop = asyncio.get_running_loop()
    started = loop.time()
    async def attempt():
        try:
            return "'" + await asyncio.wait_for(fetch(url), 1.0) + "'"
        except TimeoutError:
            return "TimeoutError"
    if limit is not None:
        async with limit:
            outcome = await attempt()
    else:
        outcome = await attempt()
    return f"  {url[0]}/{url[2]}: {outcome}, from {started:.1f} to {loop.time():.1f} s"
# end book:fetch


async def main():
    loop = asyncio.get_running_loop()
    servers = [await asyncio.start_server(functools.partial(serve_pages, delay=d), "127.0.0.1", 0)
               for d in (0.1, 0.3, 0.6)]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    print("three page servers on 127.0.0.1: fast (0.1 s), medium (0.3 s), slow (0.6 s)")
    urls = [("fast", ports[0], "a"), ("medium", ports[1], "b"), ("slow", ports[2], "c"),
            ("fast", ports[0], "d"), ("slow", ports[2], "stuck"), ("medium", ports[1], "e"),
            ("fast", ports[0], "f")]

    print("1. one after another, each within 1.0 s")
    started = loop.time()
    for url in urls:
        print(await fetch_one(url, None))
    print(f"  took {loop.time() - started:.1f} s")

    print("2. all at once, at most 3 connections (Semaphore(3)), each within 1.0 s")
    await asyncio.sleep(10)
    started = loop.time()
    limit = asyncio.Semaphore(3)
    lines = await asyncio.gather(*(fetch_one(url, limit) for url in urls))
    for line in lines:
        print(line)
    print(f"  took {loop.time() - started:.1f} s")
    for server in servers:
        server.close()


asyncio.run(main())
