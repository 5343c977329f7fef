"""Training: the trainer (trainer.py), its progress events (progress.py) and learning film (film.py), and the jobs a
server runs in child processes (job_manager.py, job_status.py, job_folders.py, runners.py) for requests (request.py).
The store never imports from here."""
