# fedsim in a container: docker build -t fedsim . && docker run -p 4566:4566 fedsim
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data/petstore.yaml ./data/petstore.yaml
RUN mkdir -p certs && chown -R node:node /app
USER node
EXPOSE 4566
CMD ["node", "dist/cli/index.js", "start", "--host", "0.0.0.0"]
