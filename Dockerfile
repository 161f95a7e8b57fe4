# knsim in a container, for sweeps as a Kubernetes Indexed Job (deploy/sweep-job.yaml).
# Built from this repository: docker build -t knsim:0.1.0 .
# The build fetches the npm packages; the image runs with no network at all.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the prepare script builds, which needs the sources copied below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schema ./schema
COPY scenarios ./scenarios
USER node
ENTRYPOINT ["node", "/app/dist/cli/knsim.js"]
CMD ["--help"]
