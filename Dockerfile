FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY providers ./providers
COPY workers ./workers
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json upcause.example.yaml ./
USER node
EXPOSE 8080
# The API role answers GET /readyz; docker-compose.yml health-checks the API container with it. The
# image declares no HEALTHCHECK because worker containers run it too and serve no HTTP.
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
