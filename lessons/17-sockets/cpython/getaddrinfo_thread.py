# loop.getaddrinfo runs socket.getaddrinfo in the default executor, a thread; a numeric host
# ("127.0.0.1", "::1") is answered without one. A name that does not resolve raises
# socket.gaierror, an OSError whose errno is the negative EAI_ code. Cancelling the await ends
# it at once while the lookup finishes in its thread.
import asyncio
import socket
import threading

main_thread = threading.get_ident()
original = socket.getaddrinfo


calls = []
release = threading.Event()
started = threading.Event()
finished = threading.Event()


def watching_getaddrinfo(host, *args, **kwargs):
    where = "loop thread" if threading.get_ident() == main_thread else "worker thread"
    calls.append(f"socket.getaddrinfo {host} in the {where}")
    if host == "slow.test":
        started.set()
        release.wait(5)
        finished.set()
        return original("127.0.0.1", *args, **kwargs)
    return original(host, *args, **kwargs)


socket.getaddrinfo = watching_getaddrinfo


async def main():
    loop = asyncio.get_running_loop()
    reader, writer = None, None
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("127.0.0.1 connected; lookups:", calls)
    writer.close()
    reader, writer = await asyncio.open_connection("localhost", port)
    print("localhost connected; lookups:", calls)
    writer.close()
    server.close()
    try:
        await loop.getaddrinfo("no-such-host.invalid", 80)
    except socket.gaierror as error:
        print("gaierror, an OSError:", isinstance(error, OSError), "errno < 0:", error.errno < 0, calls[-1])
    task = asyncio.create_task(loop.getaddrinfo("slow.test", 80))
    await loop.run_in_executor(None, started.wait, 5)  # the lookup runs in its thread now
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled at", round(loop.time(), 2), "lookup finished:", finished.is_set())
    release.set()
    await loop.run_in_executor(None, finished.wait, 5)  # (the virtual clock knows no threads)
    print("later, lookup finished:", finished.is_set())


asyncio.run(main())

# expect 3.11:
# 127.0.0.1 connected; lookups: []
# localhost connected; lookups: ['socket.getaddrinfo localhost in the worker thread']
# gaierror, an OSError: True errno < 0: True socket.getaddrinfo no-such-host.invalid in the worker thread
# cancelled at 0.0 lookup finished: False
# later, lookup finished: True
