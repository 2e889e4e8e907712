// WXT build configuration: manifest, permissions and the Vite plugins the extension needs.
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';

/**
 * Chromium refuses a content script that "isn't UTF-8 encoded" when it contains the
 * noncharacters U+FFFE/U+FFFF, which the minifier produces from Dexie's
 * String.fromCharCode(65535). Escape just those two in every emitted chunk.
 */
function escapeNoncharacters(): Plugin {
  return {
    name: 'policy-lens:escape-noncharacters',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') {
          chunk.code = chunk.code.replace(/\uFFFF/g, '\\uFFFF').replace(/\uFFFE/g, '\\uFFFE');
        }
      }
    },
  };
}

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  outDir: '.output',
  modules: [],
  // The sources archive (for store review) holds what builds the extension, not local test or demo output.
  zip: { excludeSources: ['test-results/**', 'demo-output/**', '.scratch*/**', '*.log'] },
  vite: () => ({
    plugins: [preact(), escapeNoncharacters()],
    build: { target: 'es2022' },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    permissions: ['storage', 'contextMenus', 'scripting', 'activeTab', 'unlimitedStorage'],
    host_permissions: ['*://*.gov.cn/*'],
    optional_host_permissions: ['*://*/*'],
    action: { default_title: '__MSG_extName__' },
    commands: {
      'toggle-panel': {
        suggested_key: { default: 'Alt+Shift+P' },
        description: '__MSG_cmdTogglePanel__',
      },
      'highlight-selection': {
        suggested_key: { default: 'Alt+Shift+H' },
        description: '__MSG_cmdHighlightSelection__',
      },
    },
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko_android: { strict_min_version: '142.0' },
            gecko: {
              id: 'policy-lens@policy-lens.example',
              // data_collection_permissions needs Firefox 140+ (desktop) / 142+ (Android).
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
