# syntax=docker/dockerfile:1
# Longview GitHub App image: build with dev dependencies, run with production ones only.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` builds dist/ but needs the sources; run it explicitly after copying them.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LONGVIEW_JOURNAL=/app/data/longview-jobs.sqlite
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 (the job journal) is the one native addon: its install script fetches the prebuilt binary.
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
# The in-process queue's journal: mount a volume here so queued reviews survive a new container.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
# Probot answers GET /ping with "PONG".
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A small young generation keeps an idle server small (docs/decisions/0009-small-young-generation.md).
CMD ["node", "--max-semi-space-size=2", "dist/main.js"]
