# fedsim in a container:
#   docker build -t fedsim . && docker run -p 4566:4566 fedsim
# State (database, keys) lives in the /data volume; mount your own config and point --config at it:
#   docker run -p 4566:4566 -v fedsim-state:/data -v "$PWD/my.yaml:/config/fedsim.yaml:ro" fedsim \
#     start --host 0.0.0.0 --config /config/fedsim.yaml
# Environment: FEDSIM_PUBLIC_URL (the URL clients use, when the published port differs from 4566),
# FEDSIM_ADMIN_TOKEN (opens /_fedsim/* to clients off loopback; printed at start-up when unset).

# Node 22 LTS: Node 20 reached its end of life in April 2026.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/bundle.mjs
RUN npm ci && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production FEDSIM_HOME=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data/petstore.yaml ./data/petstore.yaml
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4566
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4566/_fedsim/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/bundle/fedsim.js"]
CMD ["start", "--host", "0.0.0.0"]
