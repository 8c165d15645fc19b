<?php
/*
 * Installs WordPress into the database its wp-config.php names, as the web installer
 * does (Debian 12 has no wp-cli): wp_install() from wp-admin/includes/upgrade.php.
 *
 *     php bench/php/install.php WORDPRESS_DIR TITLE LANGUAGE
 *
 * Prints one JSON line. Run by bench/compare.py, which wrote WORDPRESS_DIR/wp-config.php.
 */
if (PHP_SAPI !== 'cli') {
    exit(1);
}
[, $root, $title, $language] = $argv + [null, null, 'Plume', ''];

define('WP_INSTALLING', true);
require __DIR__ . '/cli.php';
plume_bench_cli_server();
require $root . '/wp-load.php';

// The installer mails the new administrator; a bench machine has no mail to send.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password)
{
}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) {
    echo json_encode(['installed' => false, 'reason' => 'already installed']), "\n";
    exit(0);
}
$result = wp_install($title, 'bench-admin', 'bench-admin@example.org', false, '', wp_generate_password(32), $language);
echo json_encode(['installed' => true, 'user_id' => $result['user_id'], 'version' => get_bloginfo('version')]), "\n";
