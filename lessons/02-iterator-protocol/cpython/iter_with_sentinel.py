"""iter(fn, sentinel) calls fn until it returns the sentinel: that value is not handed out, and
nothing after it is read. At end of input, readline() returns "" on every call, so a sentinel
that never comes makes an endless loop (here cut off after five values).
(test_iter.cpp: "iter reads lines up to the stop line and leaves the rest unread"; chapter 02,
pitfall "A sentinel that never comes")"""
import io
import itertools

script = io.StringIO("ls\ncd /tmp\nquit\nrm -rf /\n")


def read_line():
    return script.readline().rstrip("\n")


print(f"up to quit: {list(iter(read_line, 'quit'))}")
print(f"left unread: {read_line()!r}")
print(f"without a quit, at end of input: {list(itertools.islice(iter(read_line, 'quit'), 5))}")

calls = 0


def next_number():
    global calls
    calls += 1
    return calls


print(f"iter(next_number, 4): {list(iter(next_number, 4))}, after {calls} calls")

# expect 3.11:
# up to quit: ['ls', 'cd /tmp']
# left unread: 'rm -rf /'
# without a quit, at end of input: ['', '', '', '', '']
# iter(next_number, 4): [1, 2, 3], after 4 calls
