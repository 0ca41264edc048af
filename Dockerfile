FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
# The benchmarks start the service and browsers through the tests' helpers.
COPY test/support ./test/support
COPY scripts ./scripts
COPY web ./web
RUN npm run build
# The image's dependencies, apart from the build's: no devDependencies, no optional ones (the
# embedded PostgreSQL: the image runs on DATABASE_URL), no install scripts, and no type
# declarations or source maps, which nothing reads at run time.
# test/e2e/production-tree.e2e-spec.ts runs this RUN as it is written, and measures its tree.
WORKDIR /production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete

FROM node:24-bookworm-slim
# The commit built (docker build --build-arg REVISION=$(git rev-parse HEAD)): a label, and
# BUILD_REVISION, which cwm_build_info reports.
ARG REVISION
LABEL org.opencontainers.image.revision=$REVISION
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 BUILD_REVISION=$REVISION
WORKDIR /app
COPY --from=build /production/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
