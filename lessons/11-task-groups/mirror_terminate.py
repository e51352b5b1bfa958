"""Lesson 11's second program in asyncio: ending a task group early on purpose. A task of the
group raises a dedicated exception, TerminateTaskGroup, and the code after the group catches it
with except*; a real error still gets through. demo_terminate.cpp prints the same lines."""
import asyncio

WANTED = 5


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


# book:terminate
class TerminateTaskGroup(Exception):
    """Raised inside a task group to end it on purpose: every other task is cancelled."""


async def terminate_task_group():
    raise TerminateTaskGroup()
# end book:terminate


# book:crawl
async def crawl(site, seconds_per_page, pages, broken_at, found, group):
    print(f"{elapsed()} {site}: crawling, {seconds_per_page:.1f} s per page")
    try:
        for page in range(1, pages + 1):
            await asyncio.sleep(seconds_per_page)
            if page == broken_at:
                raise ConnectionError(f"{site}: connection reset at page {page}")
            found.append(f"{site}/{page}")
            print(f"{elapsed()} {site}: page {page} ({len(found)} in all)")
            if len(found) == WANTED:
                print(f"{elapsed()} {site}: that makes {WANTED}, ending the group")
                group.create_task(terminate_task_group())
                return
    except asyncio.CancelledError:
        print(f"{elapsed()} {site}: stopped")
        raise
    print(f"{elapsed()} {site}: no more pages")


async def crawl_until_enough(sites):
    found = []
    try:
        async with asyncio.TaskGroup() as group:
            for site, seconds_per_page, pages, broken_at in sites:
                group.create_task(crawl(site, seconds_per_page, pages, broken_at, found, group))
    except* TerminateTaskGroup:
        print(f"{elapsed()} main: the group was ended on purpose")
    print(f"{elapsed()} main: {len(found)} pages: {', '.join(found)}")
# end book:crawl


async def main():
    global start
    start = asyncio.get_running_loop().time()
    print(f"== ending a group on purpose once {WANTED} pages are in")
    await crawl_until_enough([("alpha", 0.4, 2, None), ("beta", 0.7, 10, None), ("gamma", 1.0, 10, None)])
    print("== a real error is not taken for the signal to stop")
    try:
        await crawl_until_enough([("alpha", 0.4, 10, None), ("delta", 0.5, 10, 1)])
    except* ConnectionError as errors:
        for error in errors.exceptions:
            print(f"{elapsed()} main: caught ConnectionError: {error}")


asyncio.run(main())
