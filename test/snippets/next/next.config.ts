import type { NextConfig } from 'next';

// the template's config, and the glue a newcomer adds: /api goes to the backend (the sandbox's, in the test)
const nextConfig: NextConfig = {
  cacheComponents: true,
  partialPrefetching: true,
  async rewrites() {
    return [{ source: '/api/:path*', destination: `${process.env.FACESIGN_BACKEND}/api/:path*` }];
  },
};

export default nextConfig;
