# The engine image for `capacity-test k8s`: Node 20, no browser, no compiler at run time, a non-root user.
# Build: docker build -t capacity-test:0.1.0 .   (the tag `capacity-test k8s` defaults to)
# The first stage compiles the native modules (better-sqlite3, canvas) and the TypeScript; the second
# takes only what runs: node_modules without dev packages, dist/, bin/, the scenarios, package files.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential python3 pkg-config \
      libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY mock-portal ./mock-portal
COPY scenarios ./scenarios
COPY bench ./bench
RUN npm run build --silent && npm prune --omit=dev

FROM node:20-bookworm-slim
# run-time libraries of canvas (the merge Job draws the report's charts); fonts for Hindi reports
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libjpeg62-turbo libgif7 librsvg2-2 fonts-noto-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 capacity && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin capacity
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/scenarios ./scenarios
ENV NODE_ENV=production
USER 10001:10001
ENTRYPOINT ["node", "/app/bin/capacity-test.js"]
CMD ["--help"]
