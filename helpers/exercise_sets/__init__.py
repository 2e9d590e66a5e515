"""One module per notebook, each registering its exercises and quiz with helpers.exercises."""
