import asyncio


async def query(log):
    try:
        log.append("query sent")
        await asyncio.sleep(10)  # the server runs it
        log.append("result read")
    except asyncio.CancelledError:
        log.append("cancel request sent")
        await asyncio.sleep(0.05)  # the server answers 'query_canceled'
        log.append("connection idle again")
        raise


async def main():
    log = []
    try:
        await asyncio.wait_for(query(log), 0.2)
    except asyncio.TimeoutError:
        log.append(f"TimeoutError at {asyncio.get_running_loop().time():.2f}")
    print("\n".join(log))


asyncio.run(main())
