<?php
/*
 * What WordPress reads from a web request and a command line does not have: the host and
 * path of the site (wp-config.php's WP_HOME), so that no notice or guessed URL differs.
 */
function plume_bench_cli_server()
{
    $home = getenv('PLUME_BENCH_WP_HOME') ?: 'http://127.0.0.1';
    $parts = parse_url($home);
    $host = $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');
    $_SERVER['HTTP_HOST'] = $host;
    $_SERVER['SERVER_NAME'] = $parts['host'];
    $_SERVER['SERVER_PORT'] = (string) ($parts['port'] ?? 80);
    $_SERVER['REQUEST_URI'] = '/';
    $_SERVER['REQUEST_METHOD'] = 'GET';
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
}
