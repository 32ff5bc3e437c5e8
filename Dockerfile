# syntax=docker/dockerfile:1

# Metronome's image: built with the full toolchain, run with production dependencies only, as a non-root user.
#
#   docker build -t metronome .
#
# Keep NODE_VERSION equal to the `node` devDependency in package-lock.json (test/stack/compose.test.ts checks it):
# the bot is built and tested on exactly this Node.
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
# Dependencies first, so that editing the sources does not re-run npm ci.
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
# tsc compiles only what was copied (src/); tests and benchmarks stay out of the image.
RUN npm run build

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev also leaves out the `node` devDependency, which ships a second Node binary the image does not need.
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The bot's defaults. Deployments override them with METRONOME_* variables or a file named by METRONOME_CONFIG;
# secrets come only from DISCORD_TOKEN(_FILE), DATABASE_URL(_FILE) and LAVALINK_PASSWORD(_FILE).
COPY config/default.yaml ./config/default.yaml

# The official image's unprivileged user (uid 1000); the Kubernetes securityContext pins the same uid.
USER node
EXPOSE 8080

# The slim image has no curl or wget; Node's own fetch asks the health server. /livez only: a container must not be
# restarted because Discord, Lavalink or the database is down (that is what /readyz reports).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRONOME_HEALTH_PORT || 8080) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The preload starts OpenTelemetry before anything else is imported, so every library gets instrumented.
CMD ["node", "--import", "./dist/src/telemetry/preload.js", "dist/src/main.js"]
