# Le cours fltutor dans un conteneur (macOS, Windows sans WSL, Chromebook…).
#
#   docker build -t fltutor .
#   docker run --rm -p 127.0.0.1:8888:8888 fltutor
#   puis ouvrez l'adresse « http://127.0.0.1:8888/lab?token=… » affichée.
#
# Les étapes sont celles du test « machine neuve » (make test-fresh, qui les
# lance dans une Debian 12 construite par debootstrap) : tools/fresh_steps.sh
# prereqs (la ligne « sudo apt install » du README), install (make install),
# smoke (00_sommaire et un tour fédéré confiné). Ce fichier n'a pas pu être
# construit sur la machine d'intégration continue (pas de moteur Docker) :
# c'est le test machine neuve qui vérifie ces étapes.

# --- Debian 12 (Python 3.11) et les prérequis du README -------------------------
FROM debian:bookworm-slim AS prereqs
ENV LANG=C.UTF-8
WORKDIR /fltutor
COPY README.md ./
COPY tools/fresh_steps.sh tools/
RUN tools/fresh_steps.sh prereqs && rm -rf /var/lib/apt/lists/*

# --- le cours installé par « make install », puis vérifié ---------------------------
FROM prereqs AS course
COPY . .
RUN tools/fresh_steps.sh install && rm -rf /root/.cache/pip
RUN tools/fresh_steps.sh smoke
EXPOSE 8888
# En root dans le conteneur : tools/serve_lab.py ajoute --allow-root.
CMD [".venv/bin/python", "tools/serve_lab.py", "--ip", "0.0.0.0", "--port", "8888", "--no-browser"]
