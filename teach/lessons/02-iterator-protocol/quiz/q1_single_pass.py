class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


numbers = Countdown(3)
print("first loop:", list(numbers))
print("second loop:", list(numbers))
print("a fresh one:", list(Countdown(2)))
