"""The runner behind ./learn, one module per concept:

  cli.py       the verbs and their options
  build.py     configuring and building with the presets; the first compile error, trimmed
  testrun.py   running a build's tests; why one failed, from Catch2's XML report
  progress.py  every exercise's state, the current exercise, the runner's memory (build/learn)
  cxx.py       just enough C++ structure to find a function by its signature
  stubs.py     the shipped stub (from git), where the learner writes, putting a stub back
  show.py      what ./learn and ./learn list print
  hints.py     the chapter's graded hints
  watch.py     checking again on every save
  verify.py    a whole lesson, under the sanitizers too
  programs.py  a lesson's demo and benchmark
  term.py      colour, wrapping, the progress line
"""
