"""One module per notebook, named after it (nb01_the_gatekeeper.py for 01_the_gatekeeper.ipynb),
each registering its exercises and quiz with helpers.exercises."""
