"""In debug mode asyncio logs each step that kept the loop busy for slow_callback_duration (0.1 s)
or more, naming the task: "Executing <Task pending name='blocker' ...> took 0.200 seconds". A task
that waits in to_thread is not reported. (It times steps with loop.time(): on a virtual clock it
reports nothing, so this program measures on the real clock.)
(test_files.cpp: "debug mode names the task whose step blocked the loop")"""
import asyncio
import logging
import re
import time

reports = []


class Keep(logging.Handler):
    def emit(self, record):
        reports.append(record.getMessage())


logging.getLogger("asyncio").addHandler(Keep())
logging.getLogger("asyncio").propagate = False


async def blocker():
    time.sleep(0.2)


async def polite():
    await asyncio.to_thread(time.sleep, 0.2)


async def main():
    await asyncio.gather(asyncio.create_task(blocker(), name="blocker"),
                         asyncio.create_task(polite(), name="polite"))


loop = asyncio.SelectorEventLoop()  # CPython's own loop and clock, not the checker's virtual one
loop.set_debug(True)
loop.run_until_complete(main())
loop.close()
for report in reports:
    if report.startswith("Executing"):
        name = re.search(r"name='([^']*)'", report).group(1)
        seconds = float(re.search(r"took ([0-9.]+) seconds", report).group(1))
        print(f"Executing <Task ... name='{name}' ...> took {'0.2 or more' if seconds >= 0.2 else seconds} seconds")

# expect 3.11:
# Executing <Task ... name='blocker' ...> took 0.2 or more seconds
