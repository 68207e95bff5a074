import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // this folder is the app, also inside the SDK's repository (whose own lockfile would otherwise be taken for the
  // workspace's root)
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
