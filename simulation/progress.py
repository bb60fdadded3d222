"""The progress bar of a simulation run on a terminal."""


class ProgressBar:
    """One line on stderr, redrawn once per simulated week: the date and how far the run is."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.started = False

    def __call__(self, number, total, day):
        if day.weekday() != 6 and number != total:
            return
        self.started = True
        done = round(self.WIDTH * number / total)
        bar = "█" * done + "░" * (self.WIDTH - done)
        self.stream.write(f"\r模拟中 {day:%Y-%m-%d} ▕{bar}▏ {100 * number // total:3d}%")
        self.stream.flush()

    def finish(self):
        if self.started:
            self.stream.write("\n")
